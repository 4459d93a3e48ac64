"""One module per notebook: `nbNN_name.py` defines CELLS for notebooks/NN_name.ipynb."""

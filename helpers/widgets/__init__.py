"""ipywidgets dashboards over the simulator, the experiments and the plots. Each can be driven from code."""

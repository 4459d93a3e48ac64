"""The local workshop hub: its configuration (jupyterhub_config.py) and the learners' link (link.py)."""

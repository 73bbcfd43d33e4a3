"""Digital-identity coach for managers: the domain (no Streamlit here)."""

__version__ = "0.1.0"

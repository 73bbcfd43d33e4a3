"""Entry point: `streamlit run coach_app.py`."""

from coach.ui.app import run

run()

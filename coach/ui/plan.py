"""plan page."""

import streamlit as st


def render() -> None:
    st.title("plan")


if __name__ == "__main__":
    render()

"""progress page."""

import streamlit as st


def render() -> None:
    st.title("progress")


if __name__ == "__main__":
    render()

"""results page."""

import streamlit as st


def render() -> None:
    st.title("results")


if __name__ == "__main__":
    render()

"""home page."""

import streamlit as st


def render() -> None:
    st.title("home")


if __name__ == "__main__":
    render()

"""board_pack page."""

import streamlit as st


def render() -> None:
    st.title("board_pack")


if __name__ == "__main__":
    render()

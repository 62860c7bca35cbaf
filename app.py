"""conflict-map dashboard (placeholder until the dashboard issue lands)."""

import streamlit as st

st.set_page_config(page_title="conflict-map", layout="wide")
st.title("conflict-map")
st.write("The dashboard is being built. Use the CLI: `conflict-map extract FILE`.")

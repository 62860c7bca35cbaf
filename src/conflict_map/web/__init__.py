"""The Streamlit dashboard's page logic, components, access control and launcher."""

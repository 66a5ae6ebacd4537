"""Reading and watching the Kubernetes API with the Python client (writes go through kubectl)."""

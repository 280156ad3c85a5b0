"""The rules of the problem, in plain Python with no Django import."""

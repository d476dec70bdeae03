"""Reading inputs: bytes to text."""

"""HTTP as a good citizen, and feed discovery."""

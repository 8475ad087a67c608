"""All SQL lives here, one module per subject. Functions take the Database as first argument."""

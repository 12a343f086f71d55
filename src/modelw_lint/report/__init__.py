"""What people read: the output formats, the rules' docs, the terminal's tables, the audit."""

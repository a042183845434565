# tests/hygiene/rules.mk: one program per rule and its negative twin

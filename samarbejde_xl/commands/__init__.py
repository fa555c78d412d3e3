"""click commands, one module per area; registered in samarbejde_xl.cli."""

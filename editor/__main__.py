"""python -m editor runs the command-line front end."""

from editor.cli import main

raise SystemExit(main())

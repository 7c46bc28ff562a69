from tui.cli.main import main

# The guard matters: extraction worker processes re-import the main module.
if __name__ == "__main__":
    raise SystemExit(main())

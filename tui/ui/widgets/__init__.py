"""The three panes: sources, headlines, article. Each owns its behaviour and CSS."""

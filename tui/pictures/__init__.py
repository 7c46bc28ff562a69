"""Pictures in the terminal: decoding with caps, and the renderers (half-blocks, Kitty
Unicode placeholders, Sixel), plus what the terminal speaks.

Core layer: Pillow and plain data only, no Textual. The UI turns the renderers' cells into
its own text; the services fetch and store the bytes.
"""

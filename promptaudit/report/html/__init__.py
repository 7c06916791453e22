"""The self-contained HTML page of ``promptaudit report``: the page and its stylesheet, its sections (money,
waste, usage), highlighted prompt text and the SVG charts; no scripts fetched, nothing loaded from the network."""

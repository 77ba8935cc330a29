"""Pictures of the graph: networkx graphs of views, laid out and drawn as SVG and an interactive page."""

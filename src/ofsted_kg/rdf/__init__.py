"""The graph stage's parts; graph.py (build_dataset, document_graph) puts them together.

inspections      which inspection each fact is about, and whose each name is, across all documents
evidence         DocumentGraph: a document's named graph, each statement tied to the span it was read from
document         what a document's graph says of the document, and the files kept beside the graph
inspection_facts the writers of inspections, judgements, boards, recommendations, findings, actions
people_facts     the writers of people, their posts, and quotations
council_facts    the writers of services and their relations, mentions, figures, meetings, claims
reference_graph  the SKOS schemes and the councils the documents name
"""

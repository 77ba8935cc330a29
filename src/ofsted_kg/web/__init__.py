"""`ofsted-kg serve`: the graph on the web, read-only. A SPARQL 1.1 Protocol endpoint, the saved queries as
pages, and (app.py) the routes; every query runs in a worker that is stopped at its limits."""

"""Knowledge of Jetty itself: versions, property schema and defaults, OBF, effective config."""

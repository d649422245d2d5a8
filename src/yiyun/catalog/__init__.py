"""The hospital catalogue: hospitals, campuses, standard and hospital departments, doctors, pharmacists, nurses."""

"""The real ORA2 open-response block (PyPI ``ora2``) in the preview, for the module 5 workshop.

``settings`` holds what Django needs to install ORA2 (read by preview/settings.py before Django is
set up, so this package's ``__init__`` imports nothing); ``services`` the runtime services ORA2
asks the workbench for; ``render`` the hook the unit page calls for ``openassessment`` components.
"""

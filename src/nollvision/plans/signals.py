"""Events of the plan that apps above it may react to; the plan itself knows none of them."""

from django.dispatch import Signal

# Sent by `plan_import` inside its transaction, with `plan=`, after every part is saved.
plan_imported = Signal()

"""Demo data: the 1st ANSO Working Group Meeting as the 2019 report gives it, completed with
sample records, and an upcoming sample meeting taking registrations. The records are in `data`
(their shapes in `records`); `loader` writes them, idempotently."""

from .loader import DemoResult, demo_load, registration_demo_load

__all__ = ["DemoResult", "demo_load", "registration_demo_load"]

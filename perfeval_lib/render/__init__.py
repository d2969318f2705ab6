"""Pages and files people read: charts, the unit report, the year overview and trends the notebooks show,
the Word draft, the official workbook written back."""

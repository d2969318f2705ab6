"""Pages and files people read: charts, the unit report and year overview the notebooks show, the Word
draft, the official workbook written back."""

"""Excel workbooks: the plan exported as a workbook and read back, and monitoring forms.

:mod:`lgcb.excel.layout` is the one contract (sheet names, columns, which cells may be edited,
styles); :mod:`lgcb.excel.write` writes by it and :mod:`lgcb.excel.read` reads by it.  openpyxl
is imported only inside these functions, so commands that do not touch a workbook never load it.
"""

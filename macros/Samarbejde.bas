Attribute VB_Name = "Samarbejde"
' samarbejde-xl: the only VBA of the add-in besides xlwings' own module and the generated xlwings_udfs.
' Every ribbon button calls OnRibbonAction; Python picks the handler by the button's id, so a new button
' needs ribbon XML and Python only. Keep this module ASCII-only: Danish text lives in the ribbon XML and sheets.
Option Explicit

Public Sub OnRibbonAction(control As IRibbonControl)
    AllowToolWrites ActiveWorkbook
    RunPython "import samarbejde_xl.addin.ribbon as ribbon; ribbon.on_ribbon_action('" & control.ID & "')"
End Sub

' Case sheets protect their computed (grey) cells without a password. Protecting them again with
' UserInterfaceOnly keeps them locked for typing but lets the tools write the plan. Excel forgets
' UserInterfaceOnly when the file closes, so this runs before every button. Sheets someone unprotected,
' or protected with a password, are left as they are.
Private Sub AllowToolWrites(target As Workbook)
    Dim sheet As Worksheet
    If target Is Nothing Then Exit Sub
    On Error Resume Next
    For Each sheet In target.Worksheets
        If sheet.ProtectContents Then
            sheet.Protect UserInterfaceOnly:=True, AllowFormattingColumns:=True, AllowFormattingRows:=True
        End If
    Next sheet
    On Error GoTo 0
End Sub

' Registers category, description and argument help of each worksheet function, read from the add-in's
' function sheet (code name Sheet2): column 1 name, 2 category, 3 description, 4 and on argument help.
Public Sub RegisterFunctionHelp()
    Dim row As Long, count As Long, index As Long
    Dim argHelp() As String
    On Error Resume Next
    row = 2
    Do While Len(Sheet2.Cells(row, 1).Value) > 0
        count = 0
        Do While Len(Sheet2.Cells(row, 4 + count).Value) > 0
            count = count + 1
        Loop
        If count > 0 Then
            ReDim argHelp(1 To count)
            For index = 1 To count
                argHelp(index) = Sheet2.Cells(row, 3 + index).Value
            Next index
            Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!" & Sheet2.Cells(row, 1).Value, _
                Description:=Sheet2.Cells(row, 3).Value, Category:=Sheet2.Cells(row, 2).Value, _
                ArgumentDescriptions:=argHelp
        Else
            Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!" & Sheet2.Cells(row, 1).Value, _
                Description:=Sheet2.Cells(row, 3).Value, Category:=Sheet2.Cells(row, 2).Value
        End If
        row = row + 1
    Loop
End Sub

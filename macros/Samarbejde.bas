Attribute VB_Name = "Samarbejde"
' samarbejde-xl: the only VBA of the add-in besides xlwings' own module and the generated xlwings_udfs.
' Every ribbon button calls OnRibbonAction; Python picks the handler by the button's id, so a new button
' needs ribbon XML and Python only, unless it works on a folder (FOLDER_HANDLERS in addin/ribbon.py): then
' the folder is chosen here. Keep this module ASCII-only: Danish text lives in the ribbon XML and sheets
' (or is spelt with ChrW).
Option Explicit

Private Const FOLDER_PICKER As Long = 4  ' msoFileDialogFolderPicker (Office library)

Public Sub OnRibbonAction(control As IRibbonControl)
    Dim folder As String
    If control.ID = "QuarterlyReport" Then
        folder = ChooseFolder()
        If Len(folder) = 0 Then Exit Sub
        If ActiveWorkbook Is Nothing Then Workbooks.Add  ' RunPython and the message need an open workbook
    Else
        AllowToolWrites ActiveWorkbook
    End If
    RunPython "import samarbejde_xl.addin.ribbon as ribbon; ribbon.on_ribbon_action('" & control.ID & _
        "', folder_hex='" & HexText(folder) & "')"
End Sub

' The folder of the guides' workbooks, from Excel's folder picker; "" when the user cancels.
Private Function ChooseFolder() As String
    With Application.FileDialog(FOLDER_PICKER)
        .Title = "V" & ChrW(230) & "lg mappen med vejledernes arbejdsb" & ChrW(248) & "ger"
        .AllowMultiSelect = False
        If .Show = -1 Then ChooseFolder = .SelectedItems(1)
    End With
End Function

' The text as hex UTF-16 code units: RunPython passes its command through cmd.exe, whose quoting (&, ^, %,
' quotes) and code page would change a path such as C:\Boern & unge; hex digits pass untouched.
Private Function HexText(text As String) As String
    Dim index As Long
    For index = 1 To Len(text)
        HexText = HexText & Right$("000" & Hex$(AscW(Mid$(text, index, 1)) And &HFFFF&), 4)
    Next index
End Function

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

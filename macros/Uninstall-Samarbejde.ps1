<#
.SYNOPSIS
    Removes samarbejde-xl for the signed-in user: the add-in's registration and file, and the per-user Python
    environment. Case workbooks are never touched.

.DESCRIPTION
    Run with Excel closed:

        powershell -NoProfile -ExecutionPolicy Bypass -File Uninstall-Samarbejde.ps1
#>
[CmdletBinding()]
param(
    [string]$AddinFolder = (Join-Path $env:APPDATA "Microsoft\AddIns")
)

$ErrorActionPreference = "Stop"
$AddinName = "samarbejde_xl.xlam"
$ExcelOptions = "HKCU:\Software\Microsoft\Office\16.0\Excel\Options"

if (Get-Process -Name EXCEL -ErrorAction SilentlyContinue) {
    throw "Excel kører. Luk Excel og kør afinstallationen igen."
}
# Excel reads OPEN, OPEN1, OPEN2 ... up to the first gap: rewrite the others in order, without ours.
if (Test-Path -Path $ExcelOptions) {
    $options = Get-ItemProperty -Path $ExcelOptions
    $entries = @($options.PSObject.Properties | Where-Object { $_.Name -match '^OPEN(\d*)$' } |
        Sort-Object { if ($_.Name -eq "OPEN") { 0 } else { [int]$_.Name.Substring(4) } })
    $others = @($entries | Where-Object { $_.Value -notlike "*$AddinName*" } | ForEach-Object { $_.Value })
    $entries | ForEach-Object { Remove-ItemProperty -Path $ExcelOptions -Name $_.Name }
    for ($index = 0; $index -lt $others.Count; $index++) {
        $name = if ($index -eq 0) { "OPEN" } else { "OPEN$index" }
        New-ItemProperty -Path $ExcelOptions -Name $name -Value $others[$index] -PropertyType String | Out-Null
    }
}
$Target = Join-Path $AddinFolder $AddinName
if (Test-Path -LiteralPath $Target) { Remove-Item -Force -LiteralPath $Target }
$Home_ = Join-Path $env:LOCALAPPDATA "samarbejde-xl"
if (Test-Path -LiteralPath $Home_) { Remove-Item -Recurse -Force -LiteralPath $Home_ }
Write-Output "samarbejde-xl er fjernet. Sagsmapperne er ikke ændret."

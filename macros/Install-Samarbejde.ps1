<#
.SYNOPSIS
    Installs samarbejde-xl for the signed-in user, without internet: a per-user Python environment from the
    bundle's wheels, and the Excel add-in, loaded at every Excel start.

.DESCRIPTION
    Run from the bundle folder made by `samarbejde-xl addin bundle` (it holds this script, wheels\ and
    samarbejde_xl.xlam), as the user who will use Excel (no administrator rights needed), with Excel closed:

        powershell -NoProfile -ExecutionPolicy Bypass -File Install-Samarbejde.ps1

    1. Checks the bundle against SHA256SUMS.txt.
    2. Creates %LOCALAPPDATA%\samarbejde-xl\venv with a python.org Python 3.11-3.13 (64-bit) already on the PC
       (found with the py launcher, or given with -Python) and installs samarbejde-xl from wheels\ only
       (--no-index: nothing is downloaded).
    3. Copies samarbejde_xl.xlam to %APPDATA%\Microsoft\AddIns (a trusted location in a default Excel) and registers
       it as an installed add-in for Excel 2016 and later (HKCU\...\Excel\Options, OPEN value), so it loads at every
       start. Use -AddinFolder for another (trusted) folder, or -EnvironmentOnly where the add-in is deployed
    centrally (one file on a trusted share, registered by Group Policy).
    Running it again upgrades: the environment is rebuilt and the add-in file replaced.
    A log is written to %LOCALAPPDATA%\samarbejde-xl\install.log.
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$AddinFolder = (Join-Path $env:APPDATA "Microsoft\AddIns"),
    [switch]$EnvironmentOnly
)

$ErrorActionPreference = "Stop"
$Bundle = $PSScriptRoot
$Home_ = Join-Path $env:LOCALAPPDATA "samarbejde-xl"
$Venv = Join-Path $Home_ "venv"
$AddinName = "samarbejde_xl.xlam"
$Supported = @("3.13", "3.12", "3.11")
$ExcelOptions = "HKCU:\Software\Microsoft\Office\16.0\Excel\Options"

function Get-OpenEntries {
    # Excel's installed add-ins: values OPEN, OPEN1, OPEN2 ... in order.
    if (-not (Test-Path -Path $ExcelOptions)) { return @() }
    $options = Get-ItemProperty -Path $ExcelOptions
    $options.PSObject.Properties | Where-Object { $_.Name -match '^OPEN(\d*)$' } |
        Sort-Object { if ($_.Name -eq "OPEN") { 0 } else { [int]$_.Name.Substring(4) } }
}

# Native programs (py, python, pip) write warnings to stderr; under "Stop" Windows PowerShell 5.1 would turn those
# into terminating errors. These two run them with "Continue" and judge them by their exit code only.
function Get-NativeOutput([scriptblock]$Command) {
    $ErrorActionPreference = "Continue"
    $output = & $Command 2>$null
    if ($LASTEXITCODE -ne 0) { return $null }
    return $output
}
function Invoke-Native([string]$Failure, [scriptblock]$Command) {
    $ErrorActionPreference = "Continue"
    & $Command 2>&1 | ForEach-Object { "$_" } | Out-Host  # into the transcript (install.log)
    if ($LASTEXITCODE -ne 0) { throw $Failure }
}

New-Item -ItemType Directory -Force -Path $Home_ | Out-Null
Start-Transcript -Path (Join-Path $Home_ "install.log") -Append | Out-Null
try {
    if (Get-Process -Name EXCEL -ErrorAction SilentlyContinue) {
        throw "Excel kører. Luk Excel og kør installationen igen."
    }

    # 1. The bundle is complete and unchanged.
    foreach ($line in Get-Content (Join-Path $Bundle "SHA256SUMS.txt")) {
        if (-not $line) { continue }
        $expected, $name = $line -split "  ", 2
        $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $Bundle $name)).Hash.ToLower()
        if ($actual -ne $expected) { throw "Filen $name i pakken er ændret eller beskadiget. Hent pakken igen." }
    }

    # 2. The per-user environment, offline.
    if (-not $Python) {
        foreach ($version in $Supported) {
            if (-not (Get-Command py -ErrorAction SilentlyContinue)) { break }
            $found = Get-NativeOutput { py "-$version" -c "import sys; print(sys.executable)" }
            if ($found) { $Python = "$found".Trim(); break }
        }
    }
    if (-not $Python -or -not (Test-Path -LiteralPath $Python)) {
        throw "Fandt ingen Python $($Supported -join '/') (64-bit). Installér Python fra python.org, eller angiv -Python C:\sti\til\python.exe."
    }
    $version = Get-NativeOutput { & $Python -c "import sys, struct; print('%d.%d' % sys.version_info[:2], struct.calcsize('P') * 8)" }
    $minor, $bits = "$version".Trim() -split " "
    if ($Supported -notcontains $minor -or $bits -ne "64") {
        throw "$Python er Python $minor ($bits-bit); samarbejde-xl kræver Python $($Supported -join '/') i 64-bit."
    }
    if (Test-Path -LiteralPath $Venv) { Remove-Item -Recurse -Force -LiteralPath $Venv }
    Invoke-Native "Kunne ikke oprette $Venv." { & $Python -m venv $Venv }
    $VenvPython = Join-Path $Venv "Scripts\python.exe"
    $Wheels = Join-Path $Bundle "wheels"
    Invoke-Native "Installationen fra wheels\ mislykkedes; se $Home_\install.log." {
        & $VenvPython -m pip install --no-index --find-links $Wheels --only-binary=:all: samarbejde-xl
    }
    Invoke-Native "samarbejde-xl kan ikke importeres i $Venv." {
        & $VenvPython -c "import samarbejde_xl, xlwings; print('samarbejde-xl', samarbejde_xl.__version__, 'xlwings', xlwings.__version__)"
    }

    # 3. The add-in, registered so Excel loads it at every start (Excel keeps installed add-ins as OPEN, OPEN1, ...).
    if ($EnvironmentOnly) {
        Write-Output "Python-miljøet er installeret; tilføjelsen installeres centralt."
        return
    }
    New-Item -ItemType Directory -Force -Path $AddinFolder | Out-Null
    $Target = Join-Path $AddinFolder $AddinName
    Copy-Item -Force -LiteralPath (Join-Path $Bundle $AddinName) -Destination $Target
    Unblock-File -LiteralPath $Target
    # Excel reads OPEN, OPEN1, OPEN2 ... up to the first gap: rewrite them in order, ours last, no gaps.
    if (-not (Test-Path -Path $ExcelOptions)) { New-Item -Force -Path $ExcelOptions | Out-Null }
    $others = @(Get-OpenEntries | Where-Object { $_.Value -notlike "*$AddinName*" } | ForEach-Object { $_.Value })
    Get-OpenEntries | ForEach-Object { Remove-ItemProperty -Path $ExcelOptions -Name $_.Name }
    $values = $others + @("/R `"$Target`"")
    for ($index = 0; $index -lt $values.Count; $index++) {
        $name = if ($index -eq 0) { "OPEN" } else { "OPEN$index" }
        New-ItemProperty -Path $ExcelOptions -Name $name -Value $values[$index] -PropertyType String | Out-Null
    }
    Write-Output "samarbejde-xl er installeret. Åbn Excel: fanen Samarbejde > Diagnose viser versionerne."
}
finally {
    Stop-Transcript | Out-Null
}

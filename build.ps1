#!/usr/bin/env pwsh
# Thin wrapper: all build logic lives in eng/build.proj (runs anywhere dotnet runs).
# Usage: ./build.ps1 [bundle|test|lint|render|bench|pack] [extra msbuild args]
param([ValidateSet('bundle','test','lint','render','bench','pack')][string]$Target = 'bundle',
      [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest)
$ErrorActionPreference = 'Stop'
$map = @{ bundle = 'Bundle'; test = 'Test'; lint = 'Lint'; render = 'Render'; bench = 'Bench'; pack = 'Pack' }
Push-Location $PSScriptRoot
try { dotnet msbuild eng/build.proj -nologo -v:m "-t:$($map[$Target])" @Rest; exit $LASTEXITCODE }
finally { Pop-Location }

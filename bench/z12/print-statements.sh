#!/bin/sh
# Prints TileSql.Settlements' statements at z8, z12, z14 and z16 for the administrator and the public view into
# statements.tsv (zoom, viewer, statement; parameters other than z, x, y inlined), via a throwaway console
# project referencing the app (PrintStatements.cs).
set -e
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cat > "$work/print.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
  <ItemGroup><ProjectReference Include="$here/../../src/SettlementMap.Web/SettlementMap.Web.csproj" /></ItemGroup>
</Project>
XML
cp "$here/PrintStatements.cs" "$work/Program.cs"
: > "$here/statements.tsv"
for z in 8 12 14 16; do dotnet run -c Release --project "$work/print.csproj" -- "$z" >> "$here/statements.tsv"; done
rm -rf "$work"

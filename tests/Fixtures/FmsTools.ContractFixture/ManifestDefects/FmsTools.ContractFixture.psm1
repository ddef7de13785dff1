# A root module that loads nothing: the manifest beside it names it instead of FmsTools.ContractFixture.dll.
Set-StrictMode -Version 3.0

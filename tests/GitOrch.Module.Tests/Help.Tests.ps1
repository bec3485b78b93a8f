# Help a PowerShell user trusts: every cmdlet and parameter described, examples that parse, a link online.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    Import-GitOrchForTest
    $script:cmdlets = @(Get-Command -Module GitOrch -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestEngine.psm1') -Force
    Import-GitOrchForTest
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Help of <Name>' -ForEach $cmdlets {
    BeforeAll {
        $script:help = Get-Help $Name -Full
        $script:command = Get-Command $Name
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name"
        ($help.Description.Text -join '') | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter with more than its name' {
        foreach ($p in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $ph = $help.parameters.parameter | Where-Object name -eq $p
            $ph | Should -Not -BeNullOrEmpty -Because "-$p needs help"
            $text = ($ph.description.Text -join ' ').Trim()
            $text | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
            $text.TrimEnd('.') | Should -Not -Be $p -Because "-$p's description only repeats its name"
        }
    }

    It 'has at least one example, and every example parses' {
        @($help.examples.example).Count | Should -BeGreaterThan 0
        foreach ($example in $help.examples.example) {
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because "example '$($example.code)' must parse"
            $example.code | Should -Match ([regex]::Escape($Name)) -Because 'an example shows the cmdlet itself'
        }
    }

    It 'names its INPUTS and OUTPUTS' {
        ($help.inputTypes.inputType.type.name -join '') | Should -Not -BeNullOrEmpty
        ($help.returnValues.returnValue.type.name -join '') | Should -Not -BeNullOrEmpty
    }

    It 'lists the same parameters in its syntax as Get-Command' {
        $fromHelp = @($help.syntax.syntaxItem | ForEach-Object { $_.parameter.name } | Where-Object { $_ -notin $common } | Sort-Object -Unique)
        $fromCommand = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object -Unique)
        $fromHelp | Should -Be $fromCommand
    }

    It 'links to the online docs (Get-Help -Online)' {
        $command.HelpUri | Should -Match '^https://'
    }
}

Describe 'about_GitOrch' {
    It 'is a help topic next to the module' {
        $topic = Get-Help about_GitOrch
        ($topic | Out-String) | Should -Match 'GitSource'
    }
}

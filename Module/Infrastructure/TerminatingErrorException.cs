using System;
using System.Management.Automation;

namespace GitOrch.Module.Infrastructure;

/// <summary>Carries a terminating error out of an async cmdlet body to the pipeline thread, which throws it properly.</summary>
internal sealed class TerminatingErrorException : Exception
{
    public TerminatingErrorException(ErrorRecord record)
        : base(record.Exception?.Message)
    {
        Record = record;
    }

    public ErrorRecord Record { get; }
}

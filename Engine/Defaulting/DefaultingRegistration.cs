using GitOrch.Engine.Store;

namespace GitOrch.Engine.Defaulting;

public static class DefaultingRegistration
{
    /// <summary>Puts <see cref="DefaultingAdmission"/> first in the admission chain (once): later plugins see defaulted objects.</summary>
    public static StoreOptions AddDefaulting(this StoreOptions options)
    {
        if (!options.Admission.OfType<DefaultingAdmission>().Any())
        {
            options.Admission.Insert(0, new DefaultingAdmission());
        }

        return options;
    }
}

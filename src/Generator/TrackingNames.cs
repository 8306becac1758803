namespace DiffGen.Generator
{
    /// <summary>Names of the pipeline steps, so tests can check which ones were cached after an edit.</summary>
    public static class TrackingNames
    {
        public const string Methods = "DiffGen.Methods";
        public const string Registrations = "DiffGen.Registrations";
        public const string Checked = "DiffGen.Checked";
        public const string Resolved = "DiffGen.Resolved";
        public const string Diagnostics = "DiffGen.Diagnostics";
        public const string Options = "DiffGen.Options";
        public const string Broken = "DiffGen.Broken";
    }
}

namespace DiffGen.CodeFixes
{
    /// <summary>
    /// The ids this assembly fixes. The generator's catalogue (src/Generator/Diagnostics/DiagnosticDescriptors.cs) is
    /// the source of truth; the code-fix tests check these against it.
    /// </summary>
    public static class DiagnosticIds
    {
        public const string MethodNotStatic = "DG0001";
        public const string TypeNotPartial = "DG0002";
        public const string ActiveJaggedArray = "DG0016";
    }
}

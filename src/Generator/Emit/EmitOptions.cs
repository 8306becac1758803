namespace DiffGen.Generator.Emit
{
    /// <summary>
    /// Build options a user sets in MSBuild (read through CompilerVisibleProperty):
    /// <c>DiffGenFormulaComments</c> (default true) writes the symbolic partial derivatives into the doc comments.
    /// </summary>
    internal sealed record EmitOptions(bool FormulaComments)
    {
        public static readonly EmitOptions Default = new(true);

        public const string FormulaCommentsProperty = "build_property.DiffGenFormulaComments";
    }
}

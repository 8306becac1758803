using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emit
{
    /// <summary>For straight-line methods, the simplified partial derivatives as formulas in the doc comment.</summary>
    internal static class Formulas
    {
        public static void Write(SourceWriter w, MethodModel model)
        {
        }
    }
}

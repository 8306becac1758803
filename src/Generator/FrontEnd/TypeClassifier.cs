using DiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>What DiffGen makes of a C# type: its element type, shape and storage, or nothing when unsupported.</summary>
    internal readonly record struct TypeClass(ScalarType Element, Shape Shape, Storage Storage);

    internal static class TypeClassifier
    {
        public static ScalarType? Scalar(ITypeSymbol? type)
        {
            switch (type?.SpecialType)
            {
                case SpecialType.System_Double:
                    return ScalarType.Double;
                case SpecialType.System_Single:
                    return ScalarType.Float;
                case SpecialType.System_Int32:
                case SpecialType.System_Int16:
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt32:
                case SpecialType.System_UInt64:
                    // Integers are never differentiated; they index and count.
                    return ScalarType.Int;
                case SpecialType.System_Boolean:
                    return ScalarType.Bool;
                default:
                    return null;
            }
        }

        public static bool IsReal(ScalarType type) => type is ScalarType.Double or ScalarType.Float;

        /// <summary>Classifies a parameter or local type; null when DiffGen does not support it.</summary>
        public static TypeClass? Classify(ITypeSymbol? type)
        {
            if (type is null)
            {
                return null;
            }

            if (Scalar(type) is { } scalar)
            {
                return new TypeClass(scalar, Shape.Scalar, Storage.Value);
            }

            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank == 1 && array.ElementType is IArrayTypeSymbol inner && inner.Rank == 1
                    && Scalar(inner.ElementType) is { } jaggedElement && IsReal(jaggedElement))
                {
                    return new TypeClass(jaggedElement, Shape.Jagged, Storage.Array);
                }

                if (Scalar(array.ElementType) is { } element && IsReal(element) && array.Rank <= 2)
                {
                    return new TypeClass(element, array.Rank == 1 ? Shape.Vector : Shape.Matrix, Storage.Array);
                }

                return null;
            }

            if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                && named.ContainingNamespace?.ToDisplayString() == "System"
                && Scalar(named.TypeArguments[0]) is { } spanElement && IsReal(spanElement))
            {
                if (named.Name == "Span")
                {
                    return new TypeClass(spanElement, Shape.Vector, Storage.Span);
                }

                if (named.Name == "ReadOnlySpan")
                {
                    return new TypeClass(spanElement, Shape.Vector, Storage.ReadOnlySpan);
                }
            }

            return null;
        }

        public static string Keyword(ScalarType type) => type switch
        {
            ScalarType.Double => "double",
            ScalarType.Float => "float",
            ScalarType.Int => "int",
            _ => "bool",
        };
    }
}

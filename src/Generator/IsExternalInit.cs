// Records and init-only setters on netstandard2.0 need this marker type, which the framework lacks.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}

export async function manifests(fetch: typeof globalThis.fetch) {
    const response = await fetch("/back/api/manifests/");
    return response.json();
}

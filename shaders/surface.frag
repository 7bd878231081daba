#version 330 core
// Viridis by the log-scaled loss, lit by one directional light plus ambient (both faces lit, so
// the underside never goes black), with anti-aliased contour lines like the 2-D map's.
in vec3 v_normal;
in float v_t;
out vec4 color;
uniform vec3 stops[9];
uniform vec3 light_direction;
uniform float contour_levels;
uniform float contour_opacity;

vec3 colormap(float t) {
    float scaled = clamp(t, 0.0, 1.0) * 8.0;
    int i = min(int(floor(scaled)), 7);
    return mix(stops[i], stops[i + 1], scaled - float(i));
}

void main() {
    vec3 n = normalize(v_normal);
    float diffuse = abs(dot(n, normalize(light_direction)));
    vec3 rgb = colormap(v_t) * (0.45 + 0.55 * diffuse);
    if (contour_levels > 0.0) {
        float level = v_t * contour_levels;
        float width = max(fwidth(level), 1e-6);
        float distance_px = abs(fract(level + 0.5) - 0.5) / width;
        rgb = mix(rgb, vec3(1.0), (1.0 - smoothstep(0.5, 1.5, distance_px)) * contour_opacity);
    }
    color = vec4(rgb, 1.0);
}

// Stylesheets and images are not part of what the frontend unit tests check.
module.exports = {};

import {benchScale} from './scale.js';
console.log(await benchScale());
